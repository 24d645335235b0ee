// Package contact normalises the ways people can be reached (phone numbers,
// email addresses, language and time zone) so every part of internflow
// stores and compares them in one canonical form.
//
// Errors never repeat the rejected value: callers log and report them, and
// the values belong to minors.
package contact
