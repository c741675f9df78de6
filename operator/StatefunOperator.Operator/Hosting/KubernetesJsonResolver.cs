using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using k8s;

namespace StatefunOperator.Operator.Hosting;

/// <summary>
/// Where the Kubernetes client finds JSON metadata: the operator's generated context (<see cref="OperatorJsonContext"/>)
/// for its own types, then the client's generated context for the Kubernetes models, and nothing else. The client's
/// default falls back to reflection, which the native operator cannot use; with no fallback here, a type missing from
/// both contexts fails the same way under the JIT (in tests) as in the native binary. The enum converter of the
/// watch event type is the generic one, which needs no code generated at run time.
/// </summary>
public static class KubernetesJsonResolver
{
    /// <summary>The resolver chain the operator uses.</summary>
    public static IJsonTypeInfoResolver Resolver { get; } =
        JsonTypeInfoResolver.Combine(OperatorJsonContext.Default, SourceGenerationContext.Default);

    /// <summary>
    /// Sets <see cref="Resolver"/> (then <paramref name="extra"/>, for types only tests send) on options that are not
    /// in use yet; false if they were (frozen).
    /// </summary>
    public static bool Configure(JsonSerializerOptions options, IJsonTypeInfoResolver? extra = null)
    {
        if (options.IsReadOnly)
        {
            return false;
        }

        options.TypeInfoResolver = extra is null ? Resolver : JsonTypeInfoResolver.Combine(Resolver, extra);
        options.Converters.Insert(0, new JsonStringEnumConverter<WatchEventType>());
        return true;
    }

    /// <summary>
    /// Configures the client's process-wide options; must run before the client's first (de)serialization.
    /// Returns false if it was too late.
    /// </summary>
    public static bool UseForKubernetesClient(IJsonTypeInfoResolver? extra = null)
    {
        var applied = false;
        KubernetesJson.AddJsonOptions(options => applied = Configure(options, extra));
        return applied;
    }
}
