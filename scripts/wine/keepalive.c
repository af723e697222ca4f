/* A Windows program that waits until it is killed (make test-windows only).
 *
 * Wine shuts its background processes (services.exe, winedevice.exe, plugplay.exe, rpcss.exe, explorer.exe)
 * down when no user program runs, even under a persistent wineserver, and the next program to start restarts
 * them with its own standard error. When that program is a test binary run by `go test -exec wine`, they keep
 * go test's pipe open after the binary exits ("Test I/O incomplete 2m0s after exiting"). test-windows.sh runs
 * this for the whole step, with its output in a log, so they are started once and hold the log instead. */
#include <windows.h>

int main(void)
{
	Sleep(INFINITE);
	return 0;
}
