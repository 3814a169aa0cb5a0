namespace Facemoji.Web.Api;

/// <summary>
/// A refused request: the HTTP status (always 4xx) and a message for the person or script that sent it.
/// Endpoints throw it; <see cref="ApiErrors"/> turns it into <c>{"error": message, "status": code}</c>.
/// </summary>
internal sealed class ApiProblem : Exception
{
    public ApiProblem(int status, string message)
        : base(message)
    {
        Status = status;
    }

    public int Status { get; }
}
