#ifndef HAFEN_CLIBSSH2_SHIM_H
#define HAFEN_CLIBSSH2_SHIM_H

#include <libssh2.h>
#include <libssh2_sftp.h>

// libssh2's convenience names (libssh2_session_init, libssh2_sftp_open, …) are function-like
// macros Swift cannot call; the wrapper calls the `_ex` functions they expand to. Only the
// SFTP status codes are macros Swift imports as plain integers.

#endif
