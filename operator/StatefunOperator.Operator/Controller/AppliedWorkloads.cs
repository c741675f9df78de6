using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;

namespace StatefunOperator.Operator.Controller;

/// <summary>
/// The desired workload objects last applied per resource (as a fingerprint) and the resourceVersion of the
/// Deployment that apply returned. A reconcile whose desired objects are the same, while the observed Deployment
/// is still the one that apply returned (nobody changed it since: any change gives it a new resourceVersion),
/// would change nothing, so it skips the applies: an ingress is reconciled again for its own status write and for
/// its Deployment's watch event, and each of those used to send two server-side applies that changed nothing.
/// ConfigMaps are not watched: <see cref="Clear"/> (the periodic resync) makes the next reconciles apply again.
/// </summary>
public sealed class AppliedWorkloads
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), (string Desired, string ResourceVersion)> _applied = new();

    public int Count => _applied.Count;

    /// <summary>A digest of the desired objects' JSON (what an apply would send).</summary>
    public static string Fingerprint(params object[] desired)
    {
        var json = string.Join('\n', desired.Select(item => KubernetesJson.Serialize(item)));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    /// <summary>True when <paramref name="desired"/> was applied last and <paramref name="observed"/> is still the Deployment that apply returned.</summary>
    public bool Unchanged(string namespaceName, string name, string desired, V1Deployment? observed) =>
        observed?.Metadata?.ResourceVersion is { Length: > 0 } version
        && _applied.TryGetValue((namespaceName, name), out var last)
        && string.Equals(last.Desired, desired, StringComparison.Ordinal)
        && string.Equals(last.ResourceVersion, version, StringComparison.Ordinal);

    public void Record(string namespaceName, string name, string desired, V1Deployment applied)
    {
        if (applied.Metadata?.ResourceVersion is { Length: > 0 } version)
        {
            _applied[(namespaceName, name)] = (desired, version);
        }
    }

    public void Forget(string namespaceName, string name) => _applied.TryRemove((namespaceName, name), out _);

    /// <summary>Makes the next reconcile of every resource apply again (the periodic resync: it repairs drift nobody watches).</summary>
    public void Clear() => _applied.Clear();
}
