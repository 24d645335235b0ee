package app

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/interceptor"
	tlog "go.temporal.io/sdk/log"

	"github.com/internflow/internflow/internal/codec"
	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/observe"
)

// TemporalOptions is how to reach Temporal: address and namespace, the
// payload codec that keeps students' data out of histories in clear text,
// and for a secured cluster TLS (a private CA, a server name, a client
// certificate for mTLS) or a Temporal Cloud API key.
func TemporalOptions(cfg config.Config) (client.Options, error) {
	o := client.Options{HostPort: cfg.TemporalAddress, Namespace: cfg.TemporalNamespace}
	dc, err := DataConverter(cfg)
	if err != nil {
		return o, err
	}
	o.DataConverter = dc
	t := cfg.TemporalTLS
	if !t.On() {
		return o, nil
	}
	tc, err := temporalTLS(t)
	if err != nil {
		return o, err
	}
	o.ConnectionOptions.TLS = tc
	if t.APIKey != "" {
		o.Credentials = client.NewAPIKeyStaticCredentials(t.APIKey)
	}
	return o, nil
}

// DataConverter seals payloads with PAYLOAD_KEYS (internal/codec). Every
// client the app creates uses it; a process without keys does not start.
func DataConverter(cfg config.Config) (converter.DataConverter, error) {
	c, err := PayloadCodec(cfg)
	if err != nil {
		return nil, err
	}
	return c.DataConverter(), nil
}

// PayloadCodec is the codec for PAYLOAD_KEYS (also served to the Temporal UI).
func PayloadCodec(cfg config.Config) (*codec.Codec, error) {
	if len(cfg.PayloadKeys) == 0 {
		return nil, fmt.Errorf("PAYLOAD_KEYS is required to read and write Temporal payloads (a `make run` stack uses PAYLOAD_KEYS=%s)", config.DevPayloadKeys)
	}
	return codec.New(cfg.PayloadKeys)
}

func temporalTLS(t config.TemporalTLSConfig) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: t.ServerName}
	if t.CertFile != "" {
		cert, err := readPEM(t.CertFile)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CERT: %w", err)
		}
		key, err := readPEM(t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_KEY: %w", err)
		}
		pair, err := tls.X509KeyPair(cert, key)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY: %w", err)
		}
		tc.Certificates = []tls.Certificate{pair}
	}
	if t.CAFile != "" {
		ca, err := readPEM(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CA: %w", err)
		}
		tc.RootCAs = x509.NewCertPool()
		if !tc.RootCAs.AppendCertsFromPEM(ca) {
			return nil, errors.New("TEMPORAL_TLS_CA holds no PEM certificate")
		}
	}
	return tc, nil
}

// readPEM takes a file path (a mounted Secret) or the PEM itself (a
// platform that only has environment variables).
func readPEM(v string) ([]byte, error) {
	if strings.HasPrefix(strings.TrimSpace(v), "-----BEGIN") {
		return []byte(v), nil
	}
	b, err := os.ReadFile(v)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", v, err)
	}
	return b, nil
}

// DialTemporal connects to a Temporal frontend, failing with one clear
// line when nothing answers.
func DialTemporal(ctx context.Context, o client.Options) (client.Client, error) {
	if o.Logger == nil {
		o.Logger = tlog.NewStructuredLogger(slog.Default().With("component", "temporal"))
	}
	dialCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, err := client.DialContext(dialCtx, o)
	if err != nil {
		return nil, fmt.Errorf("temporal at %s is not reachable (start it with `make run`, or set TEMPORAL_ADDRESS; TLS settings: TEMPORAL_TLS_*, TEMPORAL_API_KEY): %w", o.HostPort, err)
	}
	return c, nil
}

// instrument adds metrics, tracing and logging to client options; workers
// built from the client inherit all three.
func instrument(o client.Options, m *observe.Metrics) (client.Options, error) {
	mh, err := m.TemporalHandler()
	if err != nil {
		return o, err
	}
	tracing, err := observe.TemporalTracing(nil)
	if err != nil {
		return o, fmt.Errorf("temporal tracing: %w", err)
	}
	o.MetricsHandler = mh
	o.Interceptors = append([]interceptor.ClientInterceptor{tracing}, o.Interceptors...)
	o.Logger = tlog.NewStructuredLogger(slog.Default().With("component", "temporal"))
	return o, nil
}
