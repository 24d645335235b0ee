package typeface

import (
	"encoding/binary"
	"errors"
)

// runeSet holds the Basic Multilingual Plane characters a font draws
// (fpdf's Unicode fonts reach no further).
type runeSet []uint64

func (s runeSet) has(r rune) bool {
	return r >= 0 && int(r) < len(s)*64 && s[r/64]&(1<<(r%64)) != 0
}

func (s runeSet) add(r rune) { s[r/64] |= 1 << (r % 64) }

// cmapRunes reads a TrueType font's Unicode character map (the Windows
// BMP subtable, format 4) into the set of characters it has a glyph for.
func cmapRunes(ttf []byte) (runeSet, error) {
	errBad := errors.New("no readable Unicode cmap")
	u16 := func(off int) int {
		if off < 0 || off+2 > len(ttf) {
			return -1
		}
		return int(binary.BigEndian.Uint16(ttf[off:]))
	}
	u32 := func(off int) int {
		if off < 0 || off+4 > len(ttf) {
			return -1
		}
		return int(binary.BigEndian.Uint32(ttf[off:]))
	}
	cmap := -1
	for i := range u16(4) {
		rec := 12 + 16*i
		if string(ttf[rec:rec+4]) == "cmap" {
			cmap = u32(rec + 8)
		}
	}
	if cmap < 0 {
		return nil, errBad
	}
	sub := -1
	for i := range u16(cmap + 2) {
		rec := cmap + 4 + 8*i
		platform, encoding := u16(rec), u16(rec+2)
		if (platform == 3 && encoding == 1) || (platform == 0 && encoding == 3) {
			if t := cmap + u32(rec+4); u16(t) == 4 {
				sub = t
			}
		}
	}
	if sub < 0 {
		return nil, errBad
	}
	segs := u16(sub+6) / 2
	ends, starts := sub+14, sub+16+2*segs
	deltas, ranges := starts+2*segs, starts+4*segs
	set := make(runeSet, 65536/64)
	for i := range segs {
		start, end := u16(starts+2*i), u16(ends+2*i)
		delta, rangeOff := u16(deltas+2*i), u16(ranges+2*i)
		if start < 0 || end < 0 || delta < 0 || rangeOff < 0 {
			return nil, errBad
		}
		for c := start; c <= end && c < 0xFFFF; c++ {
			glyph := c
			if rangeOff != 0 {
				glyph = u16(ranges + 2*i + rangeOff + 2*(c-start))
			}
			if glyph > 0 && (glyph+delta)&0xFFFF != 0 {
				set.add(rune(c))
			}
		}
	}
	return set, nil
}
