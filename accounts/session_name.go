package accounts

// SessionCookie returns the name of the app's session cookie: the
// configured one, or the one learned from a successful login; "" while
// unknown. The route inventory counts requests carrying it as sent with
// credentials.
func (w *Watch) SessionCookie() string { return w.cookieName() }
