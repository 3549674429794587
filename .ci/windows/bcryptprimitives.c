/*
 * A stand-in for Windows' bcryptprimitives.dll, for running Go's Windows
 * test binaries under Wine 8, which lacks ProcessPrng: Go's runtime (1.22
 * and later) takes its random bytes from it and will not start without it.
 * ProcessPrng here forwards to RtlGenRandom (advapi32's SystemFunction036),
 * which Wine has. Built by .ci/wine-setup with Debian's mingw-w64 gcc.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
	while (length > 0) {
		ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
		if (!SystemFunction036(data, chunk))
			return FALSE;
		data += chunk;
		length -= chunk;
	}
	return TRUE;
}
