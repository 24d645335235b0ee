package messaging

import (
	"strings"
	"unicode/utf16"
)

// GSM 03.38: the default alphabet (one septet each) and its extension
// table (an escape plus one septet: two each). A text made only of these
// is sent as GSM-7; anything else switches the whole SMS to UCS-2.
const (
	gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExtension = "\f^{}\\[~]|€"
)

var gsmSeptets = func() map[rune]int {
	m := make(map[rune]int, 140)
	for _, r := range gsmBasic {
		m[r] = 1
	}
	for _, r := range gsmExtension {
		m[r] = 2
	}
	return m
}()

// Segment sizes: a single SMS, and each part of a concatenated one (the
// user data header takes the difference).
const (
	gsmSingle, gsmPart   = 160, 153
	ucs2Single, ucs2Part = 70, 67
)

// smsSegments returns how many SMS parts carriers bill for body and the
// encoding used ("GSM-7" or "UCS-2"). An escaped GSM character or a UTF-16
// surrogate pair is never split across parts, as phones require.
func smsSegments(body string) (int, string) {
	if isGSM(body) {
		units := make([]int, 0, len(body))
		for _, r := range body {
			units = append(units, gsmSeptets[r])
		}
		return countParts(units, gsmSingle, gsmPart), "GSM-7"
	}
	units := make([]int, 0, len(body))
	for _, r := range body {
		units = append(units, len(utf16.Encode([]rune{r})))
	}
	return countParts(units, ucs2Single, ucs2Part), "UCS-2"
}

func isGSM(s string) bool {
	for _, r := range s {
		if gsmSeptets[r] == 0 {
			return false
		}
	}
	return true
}

// countParts packs characters (each of the given width) into parts.
func countParts(widths []int, single, part int) int {
	total := 0
	for _, w := range widths {
		total += w
	}
	if total <= single {
		return 1
	}
	parts, used := 1, 0
	for _, w := range widths {
		if used+w > part {
			parts++
			used = 0
		}
		used += w
	}
	return parts
}

// gsmFold replaces characters outside the GSM alphabet with their closest
// GSM spelling (á→a, “→", —→-), so a name like "María" or a Spanish
// sentence does not force the whole text into UCS-2 and halve its length.
// Characters with no fold are kept: the text is then sent as UCS-2.
var gsmFold = strings.NewReplacer(
	"á", "a", "í", "i", "ó", "o", "ú", "u", "Á", "A", "Í", "I", "Ó", "O", "Ú", "U",
	"â", "a", "ê", "e", "î", "i", "ô", "o", "û", "u", "ã", "a", "õ", "o", "ç", "c",
	"ë", "e", "ï", "i", "È", "E", "Ê", "E", "Ë", "E", "À", "A", "Â", "A", "Ã", "A",
	"Ì", "I", "Î", "I", "Ï", "I", "Ò", "O", "Ô", "O", "Õ", "O", "Ù", "U", "Û", "U", "ÿ", "y",
	"“", "\"", "”", "\"", "„", "\"", "‘", "'", "’", "'", "‚", "'", "´", "'", "`", "'",
	"–", "-", "—", "-", "‐", "-", "…", "...", "\u00a0", " ", "\t", " ",
)
