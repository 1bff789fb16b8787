using Microsoft.AspNetCore.Mvc;

namespace Automation.Api.Http;

/// <summary>problem+json answers. Field errors go in an <c>errors</c> map from JSON path to messages.</summary>
public static class Problems
{
    public static IResult Validation(IReadOnlyDictionary<string, string[]> errors, string detail = "The request has errors; each is listed under the field it concerns.") =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid",
            Detail = detail,
        });

    public static IResult Field(string path, string message) =>
        Validation(new Dictionary<string, string[]> { [path] = [message] });

    public static IResult Status(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);

    public static IResult NotFound(string what) =>
        Status(StatusCodes.Status404NotFound, "Not found", what);

    public static IResult Conflict(string detail) =>
        Status(StatusCodes.Status409Conflict, "Conflict", detail);

    public static Task Write(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(
            new ProblemDetails { Status = status, Title = title, Detail = detail },
            options: null,
            contentType: "application/problem+json");
    }
}
