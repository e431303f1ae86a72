using System.Text;
using ContainerManager.Core.Errors;

namespace ContainerManager.Core.Templates;

/// <summary>
/// Failure to use an environment template because it has errors. The message lists every
/// error as <c>source:line: message</c>, and <see cref="Errors"/> contains them for callers
/// that present them one by one.
/// </summary>
public sealed class DotEnvParseException : ContainerManagerException
{
    /// <summary>Stable error id of this failure.</summary>
    public const string InvalidTemplateErrorId = "InvalidEnvironmentTemplate";

    /// <summary>Creates the exception for the errors of one template.</summary>
    /// <param name="source">File path or other name of the template, used as the target object.</param>
    /// <param name="errors">At least one error.</param>
    public DotEnvParseException(string source, IReadOnlyList<DotEnvDiagnostic> errors)
        : base(
            InvalidTemplateErrorId,
            ErrorKind.InvalidArgument,
            FormatMessage(source, errors),
            source)
    {
        Errors = errors;
    }

    /// <summary>Errors of the template, in line order.</summary>
    public IReadOnlyList<DotEnvDiagnostic> Errors { get; }

    private static string FormatMessage(string source, IReadOnlyList<DotEnvDiagnostic> errors)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("At least one error is required.", nameof(errors));
        }

        var noun = errors.Count == 1 ? "error" : "errors";
        var message = new StringBuilder();
        message.Append($"Environment template '{source}' is invalid ({errors.Count} {noun}). ");
        message.Append("Fix these lines and try again:");
        foreach (var error in errors)
        {
            message.Append('\n').Append(error.ToString());
        }

        return message.ToString();
    }
}
