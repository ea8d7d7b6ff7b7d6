"""The built site in Chromium and against Lighthouse, the Nu checker and hostile dumps."""
