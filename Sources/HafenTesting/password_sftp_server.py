"""An SFTP server that takes passwords, for Hafen's tests (asyncssh from PyPI, in .build-venv).

OpenSSH's sshd checks passwords against the system's accounts, which a test cannot change; this
server checks one user and password of its own, so the client's password and
keyboard-interactive logins are tested against a real SSH implementation other than OpenSSH.

    password_sftp_server.py DIR USER PASSWORD METHOD
        METHOD: password | keyboard-interactive

Writes DIR/host_key (+ .pub), creates DIR/root, serves the file system by absolute paths as
OpenSSH's internal-sftp does, and writes its port to DIR/port once it listens. Runs until killed.

DIR/phantoms (read at each listing) adds names no Linux file system can hold, as another
server's listing could show them: one line each, the folder's absolute path, a tab, and the
name in hex. They are listed as 10-byte regular files and cannot be opened.
"""
import asyncio
import os
import sys

import asyncssh


class Server(asyncssh.SSHServer):
    def __init__(self, user, password, method):
        self.user, self.password, self.method = user, password, method

    def begin_auth(self, username):
        return True

    def public_key_auth_supported(self):
        return False

    def password_auth_supported(self):
        return self.method == "password"

    def validate_password(self, username, password):
        return username == self.user and password == self.password

    def kbdint_auth_supported(self):
        return self.method == "keyboard-interactive"

    def get_kbdint_challenge(self, username, lang, submethods):
        # Two prompts as a PAM stack may send: a banner-like instruction and the password.
        return "Hafen test", "Log in as " + username, "", [("Password: ", False)]

    def validate_kbdint_response(self, username, responses):
        return username == self.user and list(responses) == [self.password]


class PhantomSFTPServer(asyncssh.SFTPServer):
    """The real file system, with the phantom names of DIR/phantoms added to listings."""

    phantoms_path = None

    async def scandir(self, path):
        async for entry in super().scandir(path):
            yield entry
        folder = os.path.normpath(os.path.abspath(path.decode("utf-8", "surrogateescape")))
        try:
            with open(self.phantoms_path) as handle:
                lines = handle.read().splitlines()
        except FileNotFoundError:
            return
        for line in lines:
            where, name = line.split("\t")
            if os.path.normpath(where) == folder:
                attrs = asyncssh.SFTPAttrs(type=asyncssh.FILEXFER_TYPE_REGULAR, size=10, permissions=0o100644,
                                           uid=0, gid=0, atime=1764000000, mtime=1764000000)
                yield asyncssh.SFTPName(bytes.fromhex(name), attrs=attrs)


async def serve(directory, user, password, method):
    key_path = os.path.join(directory, "host_key")
    key = asyncssh.generate_private_key("ssh-ed25519")
    key.write_private_key(key_path)
    key.write_public_key(key_path + ".pub")
    PhantomSFTPServer.phantoms_path = os.path.join(directory, "phantoms")
    root = os.path.join(directory, "root")
    os.makedirs(root, exist_ok=True)
    os.chdir(root)
    listener = await asyncssh.listen(
        "127.0.0.1", 0, server_host_keys=[key_path],
        server_factory=lambda: Server(user, password, method),
        sftp_factory=PhantomSFTPServer,
        allow_scp=False)
    port = listener.sockets[0].getsockname()[1]
    with open(os.path.join(directory, "port.tmp"), "w") as handle:
        handle.write(str(port))
    os.rename(os.path.join(directory, "port.tmp"), os.path.join(directory, "port"))
    await asyncio.Event().wait()


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[4] not in ("password", "keyboard-interactive"):
        sys.exit(__doc__)
    asyncio.run(serve(*sys.argv[1:5]))
