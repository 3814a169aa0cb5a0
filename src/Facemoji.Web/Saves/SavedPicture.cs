namespace Facemoji.Web.Saves;

/// <summary>One picture in the saves folder, as the gallery lists it.</summary>
internal sealed record SavedPicture(string Name, string Url, long Bytes, DateTimeOffset Created);
