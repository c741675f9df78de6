namespace StatefunOperator.Operator.Controller;

/// <summary>
/// Remembers, per object of one kind, the part of it that other objects' reconciles read (its "fingerprint": e.g.
/// its spec and whether it is being deleted), so a watch handler re-queues the dependents only when that part
/// changed, or the object appeared or went. A status-only change (most often the operator's own status write)
/// then re-queues the object alone: with 1,000 ingresses naming one egress, each egress status write used to
/// re-queue all 1,000. Level-triggered: it compares observed states, never watch event types. Not thread-safe
/// (each watcher calls its handler from one task).
/// </summary>
public sealed class DependencyTracker
{
    private readonly Dictionary<(string Namespace, string Name), string> _seen = [];

    public int Count => _seen.Count;

    /// <summary>
    /// Records the object's current fingerprint (<c>null</c>: the object is gone) and says whether it differs from
    /// the one recorded before. An object seen for the first time has changed, and so has one that is gone.
    /// </summary>
    public bool Changed(string namespaceName, string name, string? fingerprint)
    {
        var key = (namespaceName, name);
        if (fingerprint is null)
        {
            _seen.Remove(key);
            return true;
        }

        if (_seen.TryGetValue(key, out var previous) && string.Equals(previous, fingerprint, StringComparison.Ordinal))
        {
            return false;
        }

        _seen[key] = fingerprint;
        return true;
    }
}
