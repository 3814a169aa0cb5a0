using System.Runtime.InteropServices;

namespace Facemoji.Core;

/// <summary>
/// stat(2) through the .NET runtime's own native shim, libSystem.Native, which ships with every .NET on Linux and
/// macOS. The managed API tells folders and links apart, but reports a FIFO, a device and a socket as a "Normal" file
/// of length 0, the same as an empty file.
/// </summary>
internal static unsafe partial class UnixFileStatus
{
    // SystemNative_Stat fills a FileStatus that starts int Flags, int Mode (st_mode), uint Uid, uint Gid, long Size;
    // runtimes append fields at the end, so the buffer is larger than any of them.
    private const int BufferBytes = 512;
    private const int ModeOffset = 4;
    private const int SizeOffset = 16;

    private const int TypeMask = 0xF000;
    private const int FolderType = 0x4000;
    private const int RegularType = 0x8000;

    // errno values shared by Linux and macOS.
    private const int NoSuchEntry = 2;
    private const int NotAFolder = 20;

    private static bool unavailable;

    /// <summary>The kind and size of what <paramref name="path"/> names, links followed; null where this cannot tell (Windows, or a runtime without the shim, or stat failing for another reason than a missing path).</summary>
    public static (FileKind Kind, long Size)? Read(string path)
    {
        if (unavailable || OperatingSystem.IsWindows())
        {
            return null;
        }

        byte* status = stackalloc byte[BufferBytes];
        int result;
        try
        {
            result = Stat(path, status);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            unavailable = true;
            return null;
        }

        if (result != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            return error is NoSuchEntry or NotAFolder ? (FileKind.Missing, 0) : null;
        }

        int type = *(int*)(status + ModeOffset) & TypeMask;
        long size = *(long*)(status + SizeOffset);
        return (type switch { RegularType => FileKind.RegularFile, FolderType => FileKind.Folder, _ => FileKind.Special }, size);
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Stat(string path, byte* output);
}
