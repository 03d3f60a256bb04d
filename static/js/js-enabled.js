// GOV.UK Frontend styles components differently once JavaScript runs; this marks the page
// before it is drawn. A file rather than an inline script, so the CSP allows it.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
