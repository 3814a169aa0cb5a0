namespace Facemoji.Benchmarks.Web;

/// <summary>
/// What <c>facemoji bench web</c> asks for: the server at <see cref="Url"/> (null: one started for the run), the
/// picture sent as every frame, and the load.
/// </summary>
public sealed record WebLoadRequest(string? Url, string ImagePath, int Clients, double FramesPerSecond, double Seconds);
