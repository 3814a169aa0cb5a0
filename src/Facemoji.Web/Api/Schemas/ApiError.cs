using System.ComponentModel;

namespace Facemoji.Web.Api.Schemas;

/// <summary>Every refusal and failure: a 4xx or 5xx status with this body.</summary>
[Description("A refused or failed request: the message names the input and the problem.")]
internal sealed record ApiError(
    [property: Description("What was wrong, naming the input.")] string Error,
    [property: Description("The HTTP status code, repeated.")] int Status);
