package app_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/app"
	"github.com/internflow/internflow/internal/config"
)

// A self-hosted cluster with a private CA and client certificates (mTLS):
// the options built from TEMPORAL_TLS_* complete a handshake with a server
// that demands a client certificate, and one without the client
// certificate is refused.
func TestTemporalOptions_MTLSHandshakeWithPrivateCA(t *testing.T) {
	dir := t.TempDir()
	ca, caKey := newCert(t, nil, nil, "internflow test CA", true)
	server, serverKey := newCert(t, ca, caKey, "temporal.internal", false)
	client, clientKey := newCert(t, ca, caKey, "internflow-worker", false)
	write := func(name string, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	caFile := write("ca.pem", "CERTIFICATE", ca.Raw)
	certFile := write("client.pem", "CERTIFICATE", client.Raw)
	keyFile := write("client.key", "EC PRIVATE KEY", marshalKey(t, clientKey))

	pool := x509.NewCertPool()
	pool.AddCert(ca)
	addr := tlsServer(t, &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool,
		Certificates: []tls.Certificate{{Certificate: [][]byte{server.Raw}, PrivateKey: serverKey}}})

	mtls := config.TemporalTLSConfig{CertFile: certFile, KeyFile: keyFile, CAFile: caFile, ServerName: "temporal.internal"}
	if err := handshake(t, addr, mtls); err != nil {
		t.Fatalf("mTLS handshake: %v", err)
	}
	if err := handshake(t, addr, config.TemporalTLSConfig{CAFile: caFile, ServerName: "temporal.internal"}); err == nil {
		t.Fatal("a server requiring client certificates accepted a client without one")
	}
	if err := handshake(t, addr, config.TemporalTLSConfig{CAFile: caFile, ServerName: "other.example"}); err == nil {
		t.Fatal("the server name was not checked")
	}
}

// Temporal Cloud with an API key: TLS on (public CA), the key as
// credentials; and a plaintext dev server stays plaintext.
// Without PAYLOAD_KEYS no client is made (it would write students' data in
// clear text).
func TestTemporalOptions_RequirePayloadKeys(t *testing.T) {
	if _, err := app.TemporalOptions(config.Config{TemporalAddress: "127.0.0.1:7233"}); err == nil || !strings.HasPrefix(err.Error(), "PAYLOAD_KEYS is required") {
		t.Fatalf("err = %v", err)
	}
}

func TestTemporalOptions_APIKeyAndPlaintext(t *testing.T) {
	o, err := app.TemporalOptions(config.Config{TemporalAddress: "us-east-1.aws.api.temporal.io:7233", TemporalNamespace: "district.a1b2c",
		TemporalTLS: config.TemporalTLSConfig{APIKey: "secret"}}.WithDevDefaults())
	if err != nil || o.ConnectionOptions.TLS == nil || o.Credentials == nil || o.Namespace != "district.a1b2c" {
		t.Fatalf("API key options: %+v, %v", o, err)
	}
	plain, err := app.TemporalOptions(config.Config{TemporalAddress: "127.0.0.1:7233"}.WithDevDefaults())
	if err != nil || plain.ConnectionOptions.TLS != nil || plain.Credentials != nil || plain.DataConverter == nil {
		t.Fatalf("dev server options should be plaintext: %+v, %v", plain, err)
	}
	if _, err := app.TemporalOptions(config.Config{TemporalTLS: config.TemporalTLSConfig{CertFile: "/nonexistent.pem", KeyFile: "/nonexistent.key"}}.WithDevDefaults()); err == nil {
		t.Fatal("a missing certificate file must stop the process at start")
	}
}

func handshake(t *testing.T, addr string, c config.TemporalTLSConfig) error {
	t.Helper()
	o, err := app.TemporalOptions(config.Config{TemporalAddress: addr, TemporalTLS: c}.WithDevDefaults())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr, o.ConnectionOptions.TLS)
	if err != nil {
		return err
	}
	defer conn.Close()
	// TLS 1.3 reports a refused client certificate on the first read.
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	_, err = conn.Read(make([]byte, 1))
	return err
}

// tlsServer accepts connections, completes the handshake and writes one
// byte, until the test ends.
func tlsServer(t *testing.T, cfg *tls.Config) string {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				if err := c.(*tls.Conn).Handshake(); err == nil {
					_, _ = c.Write([]byte{1})
				}
			}()
		}
	}()
	return ln.Addr().String()
}

func newCert(t *testing.T, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, name string, isCA bool) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: isCA, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, DNSNames: []string{name},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

func marshalKey(t *testing.T, k *ecdsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return der
}
