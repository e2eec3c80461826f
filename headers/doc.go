// Package headers sets secure response headers: Helmet's set, with Helmet's defaults and options, as net/http middleware.
//
// [New] takes a [Config] whose zero value sends exactly what helmet() sends
// in Helmet 8.3, and whose YAML keys are Helmet's option names:
//
//	headers:
//	  contentSecurityPolicy:
//	    directives:
//	      script-src: ["'self'", "https://cdn.example.com"]
//	      upgrade-insecure-requests: null   # null removes a default directive
//	    reportPath: /.bulwark/csp-report    # not in Helmet: adds report-uri
//	  strictTransportSecurity: {maxAge: 365d, preload: true}
//	  referrerPolicy: {policy: [no-referrer, strict-origin-when-cross-origin]}
//	  xFrameOptions: {action: deny, override: true}
//	  crossOriginEmbedderPolicy: true       # off by default, as in Helmet 8
//	  xDownloadOptions: false               # turns a header off
//
// Beyond Helmet, and off unless configured: a Permissions-Policy header, a
// per-response CSP nonce ([NonceFromContext]), a report-uri for CSP
// violation reports ([ReportHandler]) and, as a separate middleware,
// hardening of the application's cookies ([NewCookies]).
//
// The middleware is meant to sit in front of an application, often a
// reverse proxy: as with Helmet in Express, a header the application sets
// itself wins over ours unless the section says override: true, and
// X-Powered-By is always removed.
package headers
