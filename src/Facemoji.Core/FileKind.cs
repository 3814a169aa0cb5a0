namespace Facemoji.Core;

/// <summary>What a path names, symbolic links followed (<see cref="FileKinds.Of"/>).</summary>
public enum FileKind
{
    /// <summary>Nothing there (or a link to nothing).</summary>
    Missing,

    /// <summary>A regular file, of any length (an empty one too).</summary>
    RegularFile,

    /// <summary>A folder.</summary>
    Folder,

    /// <summary>A FIFO, a character or block device, or a socket: no length, may block or never end.</summary>
    Special,
}
