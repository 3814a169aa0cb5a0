namespace Facemoji.Emoji;

/// <summary>One line of <c>facemoji packs list</c>: the name to pass to --pack, where it lives, what it is, and why it cannot be used (null when it can).</summary>
public sealed record PackListing(string Name, string Location, string About, string? Problem);
