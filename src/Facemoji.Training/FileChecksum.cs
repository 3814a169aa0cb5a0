using System.Security.Cryptography;

namespace Facemoji.Training;

/// <summary>The SHA-256 of a file's bytes, to check that a resumed run's teacher files are the ones its checkpoint recorded.</summary>
internal static class FileChecksum
{
    /// <summary>Lower-case hex; a file that cannot be read is an error that begins with <paramref name="named"/> (the file as the user gave it, "--teacher a.fmj").</summary>
    public static string Sha256(string path, string named)
    {
        // Hashing a stream would never end on /dev/zero and block on a FIFO: only regular files (the size limit is the model reader's).
        if (BoundedFile.Problem(path, long.MaxValue) is { } problem)
        {
            throw new FacemojiException($"{named}: cannot be read ({path} {problem}).");
        }

        try
        {
            using var stream = File.OpenRead(path);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FacemojiException($"{named}: cannot be read ({ex.Message}).", ex);
        }
    }
}
