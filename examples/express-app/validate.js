'use strict';

// Input validation shared by registration and profile updates. Each function
// returns an error message, or null when the value is acceptable.

function usernameError(username) {
  return /^[A-Za-z0-9_.-]{3,32}$/.test(username)
    ? null
    : 'Username must be 3-32 characters: letters, digits, "_", "." or "-".';
}

function emailError(email) {
  return email.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? null : 'Please enter a valid email address.';
}

function passwordError(password) {
  return password.length >= 8 && password.length <= 256 ? null : 'Password must be 8-256 characters long.';
}

module.exports = { usernameError, emailError, passwordError };
