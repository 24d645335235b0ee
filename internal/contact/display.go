package contact

// DisplayPhone writes an E.164 number the way people read it: a North
// American number as "(555) 555-0100", any other as it is.
func DisplayPhone(e164 string) string {
	if len(e164) == 12 && e164[:2] == "+1" {
		d := e164[2:]
		return "(" + d[:3] + ") " + d[3:6] + "-" + d[6:]
	}
	return e164
}
