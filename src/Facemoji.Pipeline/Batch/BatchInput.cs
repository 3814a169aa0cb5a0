namespace Facemoji.Pipeline.Batch;

/// <summary>
/// One input of a batch: the path it is read from and written as in the results (<see cref="File"/>, as the
/// command line named it), and the path relative to the folder it was found in (<see cref="Key"/>), which decides
/// its shard, so that the split does not depend on where the folder is mounted.
/// </summary>
public sealed record BatchInput(string File, string Key);
