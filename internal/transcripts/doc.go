// Package transcripts holds the transcript test: it plays whole journeys on
// the real stack (PostgreSQL, Temporal, the app, fake Twilio and SendGrid)
// and writes what each person received, in order and exactly as the fakes
// received it, to docs/transcripts/. Reviewing a change to what people
// receive means reading the diff of those files. See
// docs/transcripts/README.md for the command that regenerates them.
package transcripts
