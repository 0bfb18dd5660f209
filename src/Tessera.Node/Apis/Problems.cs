using Microsoft.AspNetCore.Mvc;
using Tessera.Contracts;

namespace Tessera.Node.Apis;

/// <summary>ProblemDetails with the stable types of <see cref="ProblemTypes"/>.</summary>
internal static class Problems
{
    public static IResult NotFound(string what) =>
        Create(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found", $"No {what} with that id is visible to you.");

    public static IResult Invalid(string detail) => Create(StatusCodes.Status400BadRequest, ProblemTypes.Invalid, "Invalid request", detail);

    public static IResult Conflict(string detail) => Create(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "Conflict", detail);

    public static IResult Forbidden(string detail) => Create(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Forbidden", detail);

    public static IResult Unauthenticated(string detail) =>
        Create(StatusCodes.Status401Unauthorized, ProblemTypes.Unauthenticated, "Authentication required", detail);

    public static IResult Create(int status, string type, string title, string detail) =>
        Results.Problem(new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail });

    public static Task Write(HttpContext context, int status, string type, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(
            new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail },
            options: null, contentType: "application/problem+json", cancellationToken: context.RequestAborted);
    }
}
