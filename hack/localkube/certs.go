package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// writePKI writes the certificates a single-node local control plane needs:
// one CA that signs the apiserver serving cert and the admin client cert
// (group system:masters), an RSA service-account signing key pair, and an
// admin kubeconfig. Everything is regenerated when the directory is new.
// `certs client ...` adds a client certificate to an existing PKI (writeClient).
func writePKI(args []string) error {
	if len(args) > 0 && args[0] == "client" {
		return writeClient(args[1:])
	}
	fs := flag.NewFlagSet("certs", flag.ContinueOnError)
	dir := fs.String("dir", "", "output directory (pki/ and admin.kubeconfig are written here)")
	server := fs.String("server", "", "apiserver URL written into the kubeconfig, e.g. https://127.0.0.1:6443")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || *server == "" {
		return errors.New("--dir and --server are required")
	}
	pki := filepath.Join(*dir, "pki")
	if err := os.MkdirAll(pki, 0o700); err != nil {
		return err
	}

	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	caTmpl := template("localkube-ca", nil)
	caTmpl.IsCA = true
	caTmpl.BasicConstraintsValid = true
	caTmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	caCert, _ := x509.ParseCertificate(caDER)

	serving := template("kube-apiserver", nil)
	serving.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	serving.DNSNames = []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"}
	serving.IPAddresses = []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("10.96.0.1")}

	admin := template("localkube-admin", []string{"system:masters"})
	admin.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}

	files := map[string][]byte{"ca.crt": pemBlock("CERTIFICATE", caDER)}
	caKeyDER, err := x509.MarshalECPrivateKey(caKey)
	if err != nil {
		return err
	}
	files["ca.key"] = pemBlock("EC PRIVATE KEY", caKeyDER)
	for name, tmpl := range map[string]*x509.Certificate{"apiserver": serving, "admin": admin} {
		certPEM, keyPEM, err := issue(tmpl, caCert, caKey)
		if err != nil {
			return err
		}
		files[name+".crt"], files[name+".key"] = certPEM, keyPEM
	}

	saKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	saPub, err := x509.MarshalPKIXPublicKey(&saKey.PublicKey)
	if err != nil {
		return err
	}
	files["sa.key"] = pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(saKey))
	files["sa.pub"] = pemBlock("PUBLIC KEY", saPub)

	for name, data := range files {
		if err := os.WriteFile(filepath.Join(pki, name), data, 0o600); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(*dir, "admin.kubeconfig"), kubeconfig(*server, "localkube-admin", files["ca.crt"], files["admin.crt"], files["admin.key"]), 0o600)
}

// writeClient issues one more client certificate from the CA writePKI wrote,
// for a component that must not run as admin (a kubelet as
// system:node:<name> in system:nodes, kube-proxy as system:kube-proxy), and
// a kubeconfig for it: pki/<name>.crt, pki/<name>.key, <name>.kubeconfig.
func writeClient(args []string) error {
	fs := flag.NewFlagSet("certs client", flag.ContinueOnError)
	dir := fs.String("dir", "", "the directory writePKI wrote (pki/ca.crt and pki/ca.key are read)")
	server := fs.String("server", "", "apiserver URL written into the kubeconfig")
	name := fs.String("name", "", "file name stem of the certificate and kubeconfig")
	user := fs.String("user", "", "the user name (certificate common name)")
	group := fs.String("group", "", "the group (certificate organization), optional")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || *server == "" || *name == "" || *user == "" {
		return errors.New("--dir, --server, --name and --user are required")
	}
	pki := filepath.Join(*dir, "pki")
	caPEM, err := os.ReadFile(filepath.Join(pki, "ca.crt"))
	if err != nil {
		return err
	}
	caKeyPEM, err := os.ReadFile(filepath.Join(pki, "ca.key"))
	if err != nil {
		return err
	}
	caBlock, _ := pem.Decode(caPEM)
	keyBlock, _ := pem.Decode(caKeyPEM)
	if caBlock == nil || keyBlock == nil {
		return errors.New("pki/ca.crt or pki/ca.key is not PEM")
	}
	caCert, err := x509.ParseCertificate(caBlock.Bytes)
	if err != nil {
		return err
	}
	caKey, err := x509.ParseECPrivateKey(keyBlock.Bytes)
	if err != nil {
		return err
	}
	var orgs []string
	if *group != "" {
		orgs = []string{*group}
	}
	tmpl := template(*user, orgs)
	tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	certPEM, keyPEM, err := issue(tmpl, caCert, caKey)
	if err != nil {
		return err
	}
	for file, data := range map[string][]byte{*name + ".crt": certPEM, *name + ".key": keyPEM} {
		if err := os.WriteFile(filepath.Join(pki, file), data, 0o600); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(*dir, *name+".kubeconfig"), kubeconfig(*server, *user, caPEM, certPEM, keyPEM), 0o600)
}

func kubeconfig(server, user string, caPEM, certPEM, keyPEM []byte) []byte {
	b64 := base64.StdEncoding.EncodeToString
	return []byte(fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: localkube
  cluster:
    server: %s
    certificate-authority-data: %s
users:
- name: %s
  user:
    client-certificate-data: %s
    client-key-data: %s
contexts:
- name: localkube
  context:
    cluster: localkube
    user: %s
current-context: localkube
`, server, b64(caPEM), user, b64(certPEM), b64(keyPEM), user))
}

var serial int64

func template(cn string, orgs []string) *x509.Certificate {
	serial++
	now := time.Now()
	return &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano() + serial),
		Subject:      pkix.Name{CommonName: cn, Organization: orgs},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
	}
}

func issue(tmpl, ca *x509.Certificate, caKey *ecdsa.PrivateKey) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pemBlock("CERTIFICATE", der), pemBlock("EC PRIVATE KEY", keyDER), nil
}

func pemBlock(kind string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der})
}
