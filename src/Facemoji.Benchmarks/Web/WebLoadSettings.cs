namespace Facemoji.Benchmarks.Web;

/// <summary>
/// One load run against <c>facemoji serve</c>: <see cref="Clients"/> sockets, each offering a frame every
/// 1/<see cref="FramesPerSecond"/> s for <see cref="Duration"/>, at most one in flight (a frame due while one is
/// in flight is dropped, as the page does).
/// </summary>
public sealed record WebLoadSettings(Uri Server, byte[] Frame, int Clients, double FramesPerSecond, TimeSpan Duration);
