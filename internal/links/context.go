package links

import "context"

type ctxKey struct{}

// WithLink carries a resolved link to the handler serving its action (the
// link pages hand "staff_login" links to the staff sign-in handler).
func WithLink(ctx context.Context, l Link) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// FromContext returns the resolved link the request arrived with.
func FromContext(ctx context.Context) (Link, bool) {
	l, ok := ctx.Value(ctxKey{}).(Link)
	return l, ok
}
