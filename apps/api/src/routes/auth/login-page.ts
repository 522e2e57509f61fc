/**
 * The login page: static HTML, the same bytes for everyone — nothing from a request or a user is ever put
 * into it. The failed-login variant differs only by a fixed message.
 */
function page(message: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tickwork — log in</title>
<style>
body { font-family: system-ui, sans-serif; display: flex; justify-content: center; margin-top: 10vh; }
form { display: flex; flex-direction: column; gap: .75rem; width: 18rem; }
input, button { font-size: 1rem; padding: .4rem; }
.message { color: #b00020; }
</style>
</head>
<body>
<form method="post" action="/login">
<h1>Tickwork</h1>
${message}<label>Username <input name="username" autocomplete="username" required autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Log in</button>
</form>
</body>
</html>
`;
}

export const LOGIN_PAGE_HTML = page('');
export const LOGIN_FAILED_HTML = page('<p class="message">Wrong username or password.</p>\n');
