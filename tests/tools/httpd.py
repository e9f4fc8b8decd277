#!/usr/bin/env python3
"""httpd.py - a small HTTP server for the price-sheet fetch tests.

usage: httpd.py DIR PORTFILE
Binds 127.0.0.1 on a free port, writes the port to PORTFILE, serves until
killed.  Paths:
  /f/NAME          DIR/NAME with ETag and Last-Modified (304 on If-None-Match)
  /n/NAME          DIR/NAME without validators
  /status/N        an empty response with status N
  /retry429/NAME   429 with Retry-After: 1 on the first request, then /n/NAME
  /stall           sends headers and a few bytes, then nothing for 30 s
  /truncated/NAME  Content-Length twice the file, half the body sent
  /endless         a chunked body that never ends
  /gzipbomb        a small gzip body that inflates to 8 MiB
  /redirect/NAME   302 to /n/NAME
  /redirect-file   302 to file:///etc/passwd
  /redirect-http   302 to http://example.invalid/x (plain http off loopback)
  /loop            302 to /loop
  /_count/PATH     how many requests PATH received (text)
  /v/NAME          DIR/NAME with ETag and Last-Modified; 304 when If-None-Match
                   is its ETag or If-Modified-Since is not before its
                   Last-Modified (what many servers do)
  /bigetag/NAME    as /f/NAME with a 700-byte ETag
  /always304/NAME  304 to every request, conditional or not
  /longredirect/NAME  302 to /n/NAME?pad=<2000 a>&end=1
  /hugeredirect/NAME  302 to /n/NAME?pad=<9000 a>&end=1
  /_headers/PATH   the validators the last request of PATH sent, as JSON
                   {"If-None-Match": ..., "If-Modified-Since": ...}
A query string (?...) is ignored when a path names a file; /n/ and /f/
answer 404 to a query string that has "pad=" but lacks "end=1" (a cut URL).
"""
import email.utils
import gzip
import hashlib
import http.server
import json
import os
import sys
import threading
import time

ROOT = sys.argv[1]
counts = {}
seen = {}
lock = threading.Lock()
LAST_MODIFIED = "Wed, 07 Jan 2026 10:00:00 GMT"


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send_body(self, code, body, ctype="application/json", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def file(self, name):
        name, _, query = name.partition("?")
        if "pad=" in query and "end=1" not in query:
            raise FileNotFoundError(name)
        p = os.path.join(ROOT, os.path.basename(name))
        with open(p, "rb") as f:
            return f.read()

    def do_GET(self):
        path = self.path
        if path.startswith("/_count/"):
            with lock:
                n = counts.get(path[len("/_count"):], 0)
            return self.send_body(200, str(n).encode(), "text/plain")
        if path.startswith("/_headers/"):
            with lock:
                h = seen.get(path[len("/_headers"):], {})
            return self.send_body(200, json.dumps(h).encode())
        with lock:
            counts[path] = counts.get(path, 0) + 1
            n = counts[path]
            seen[path] = {k: self.headers.get(k) for k in ("If-None-Match", "If-Modified-Since")}
        try:
            if path.startswith("/f/"):
                body = self.file(path[3:])
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                return self.send_body(200, body, extra=[("ETag", etag),
                                      ("Last-Modified", "Wed, 07 Jan 2026 10:00:00 GMT")])
            if path.startswith("/v/") or path.startswith("/bigetag/"):
                big = path.startswith("/bigetag/")
                body = self.file(path[9:] if big else path[3:])
                etag = '"' + ("e" * 700 if big else "") + hashlib.sha256(body).hexdigest()[:16] + '"'
                ims = self.headers.get("If-Modified-Since")
                ims_t = email.utils.parsedate_to_datetime(ims) if ims and not big else None
                lm_t = email.utils.parsedate_to_datetime(LAST_MODIFIED)
                if self.headers.get("If-None-Match") == etag or (ims_t and ims_t >= lm_t):
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                return self.send_body(200, body, extra=[("ETag", etag),
                                      ("Last-Modified", LAST_MODIFIED)])
            if path.startswith("/always304/"):
                self.send_response(304)
                self.send_header("ETag", '"x"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if path.startswith("/longredirect/") or path.startswith("/hugeredirect/"):
                pad = "a" * (2000 if path.startswith("/long") else 9000)
                return self.send_body(302, b"", extra=[(
                    "Location", "/n/" + path[14:] + "?pad=" + pad + "&end=1")])
            if path.startswith("/n/"):
                return self.send_body(200, self.file(path[3:]))
            if path.startswith("/status/"):
                return self.send_body(int(path[8:]), b"")
            if path.startswith("/retry429/"):
                if n == 1:
                    return self.send_body(429, b"", extra=[("Retry-After", "1")])
                return self.send_body(200, self.file(path[10:]))
            if path == "/stall":
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b'{"data": [')
                self.wfile.flush()
                time.sleep(30)
                return
            if path.startswith("/truncated/"):
                body = self.file(path[11:])
                self.send_response(200)
                self.send_header("Content-Length", str(2 * len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            if path == "/endless":
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"x" * 65536
                try:
                    for _ in range(4096):
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True
                return
            if path == "/gzipbomb":
                body = gzip.compress(b"[" + b" " * (8 << 20) + b"]")
                return self.send_body(200, body, extra=[("Content-Encoding", "gzip")])
            if path.startswith("/redirect/"):
                return self.send_body(302, b"", extra=[("Location", "/n/" + path[10:])])
            if path == "/redirect-file":
                return self.send_body(302, b"", extra=[("Location", "file:///etc/passwd")])
            if path == "/redirect-http":
                return self.send_body(302, b"", extra=[("Location", "http://example.invalid/x")])
            if path == "/loop":
                return self.send_body(302, b"", extra=[("Location", "/loop")])
            return self.send_body(404, b"")
        except FileNotFoundError:
            return self.send_body(404, b"")
        except (BrokenPipeError, ConnectionResetError):
            return


class S(http.server.ThreadingHTTPServer):
    daemon_threads = True


srv = S(("127.0.0.1", 0), H)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
srv.serve_forever()
