"""A real TLS client for maas-serve's tests: Python's ssl module.

usage: tls_client.py PORT CA_FILE [CERT KEY | - -] [old]
Prints "<TLS version> <server certificate's CN> <HTTP status line>", or "refused <why>" when the
handshake or the first read fails. "old" offers only TLS 1.0 and 1.1.
"""
import socket
import ssl
import sys

port, ca = int(sys.argv[1]), sys.argv[2]
cert = sys.argv[3] if len(sys.argv) > 3 else "-"
key = sys.argv[4] if len(sys.argv) > 4 else "-"
old = len(sys.argv) > 5 and sys.argv[5] == "old"

context = ssl.create_default_context(cafile=ca)
if cert != "-":
    context.load_cert_chain(cert, key)
if old:
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    context.minimum_version = ssl.TLSVersion.TLSv1
    context.maximum_version = ssl.TLSVersion.TLSv1_1
try:
    with socket.create_connection(("127.0.0.1", port), timeout=20) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            tls.sendall(b"GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                chunk = tls.recv(4096)
                if not chunk:
                    break
                data += chunk
            if not data:
                raise ConnectionError("the server closed the connection without an answer")
            name = dict(field[0] for field in tls.getpeercert()["subject"])["commonName"]
            print(tls.version(), name, data.split(b"\r\n")[0].decode())
except (OSError, ssl.SSLError, ConnectionError) as error:
    print("refused", type(error).__name__, error)
