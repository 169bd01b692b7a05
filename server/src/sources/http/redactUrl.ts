/**
 * URLs as we may print them: a `user:password@` in an index URL (cargo allows one) is a credential, so every URL
 * that reaches a report, a log line or an error message goes through here first. Pure.
 */

/** The URL with its userinfo replaced by `***`; text that is not a URL is redacted by pattern, so nothing leaks. */
export function redactUrl(url: string): string {
	return url.replace(/^((?:[a-z][a-z0-9+.-]*\+)?[a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/i, '$1***@');
}

/** Every URL inside a free-text message (an error detail from undici may quote one). */
export function redactUrlsIn(text: string): string {
	return text.replace(/\b((?:[a-z][a-z0-9+.-]*\+)?[a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/gi, '$1***@');
}
