/* Test-only stand-in for Windows' bcryptprimitives.dll, which Wine 8 lacks.
 *
 * Go's Windows runtime (since Go 1.24) loads bcryptprimitives.dll at start-up
 * and takes its random bytes from ProcessPrng; without the DLL every Go
 * program dies under Wine 8 with "bcryptprimitives.dll not found". This DLL
 * exports only ProcessPrng and fills the buffer from SystemFunction036
 * (RtlGenRandom) in advapi32, which Wine has. make test-windows builds it with
 * mingw-w64 into a throwaway Wine prefix under build/; it is never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
