// The page's HTML shell: the script and styles come bundled from ./web (see ./bundle.ts); the page fills
// itself from the live view.
export function pageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Finally Tutor · playground</title>
<link rel="stylesheet" href="app.css">
<script type="module" src="app.js"></script>
</head>
<body>
<noscript>The playground needs JavaScript: it is a Discord client in a page.</noscript>
<div id="app" aria-busy="true"></div>
</body>
</html>
`;
}
