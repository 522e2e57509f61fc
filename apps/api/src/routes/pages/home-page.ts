/** Stands in for the web UI until it lands: static HTML with links, nothing from the request in it. */
export const HOME_PAGE_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tickwork</title>
</head>
<body>
<h1>Tickwork</h1>
<ul>
<li><a href="/api/v1/jobs">Jobs (JSON)</a></li>
<li><a href="/api/v1/session">Who am I (JSON)</a></li>
<li><a href="/admin/queues">Bull Board</a> (admins)</li>
</ul>
<form method="post" action="/logout"><button type="submit">Log out</button></form>
</body>
</html>
`;
