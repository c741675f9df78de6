using System.Net;
using k8s.Autorest;

namespace StatefunOperator.Operator.Apply;

/// <summary>
/// The API server's refusal to create anything in a namespace that is being deleted (its NamespaceLifecycle admission:
/// 403 with the cause <c>NamespaceTerminating</c>, "unable to create new content in namespace ... because it is being
/// terminated"). Pure.
/// </summary>
public static class NamespaceTerminating
{
    public const string Cause = "NamespaceTerminating";

    public static bool Is(HttpOperationException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var content = exception.Response?.Content ?? string.Empty;
        return exception.Response?.StatusCode == HttpStatusCode.Forbidden
            && (content.Contains($"\"{Cause}\"", StringComparison.Ordinal) || content.Contains("because it is being terminated", StringComparison.Ordinal));
    }
}
