using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace StatefunOperator.Operator.Controller;

/// <summary>The last state the watch delivered for every object of one kind (the operator's "observe").</summary>
public sealed class ResourceCache<T>(Func<T, T>? trim = null)
    where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), T> _objects = new();

    public int Count => _objects.Count;

    public T? Get(string namespaceName, string name) => _objects.TryGetValue((namespaceName, name), out var value) ? value : default;

    public IReadOnlyList<T> List(string namespaceName) =>
        _objects.Where(entry => entry.Key.Namespace == namespaceName).Select(entry => entry.Value).OrderBy(o => o.Metadata.Name, StringComparer.Ordinal).ToList();

    /// <summary>The namespace's objects that match, by name: only the matches are sorted (a reconcile looking for a few peers among thousands).</summary>
    public IReadOnlyList<T> List(string namespaceName, Func<T, bool> match)
    {
        var matches = new List<T>();
        foreach (var entry in _objects)
        {
            if (entry.Key.Namespace == namespaceName && match(entry.Value))
            {
                matches.Add(entry.Value);
            }
        }

        matches.Sort((a, b) => string.CompareOrdinal(a.Metadata.Name, b.Metadata.Name));
        return matches;
    }

    /// <summary>
    /// True when the cache has this object at this very resourceVersion (resourceVersions are opaque: equal or not,
    /// never older or newer).
    /// </summary>
    public bool Holds(T item) =>
        item.Metadata?.ResourceVersion is { Length: > 0 } version
        && _objects.TryGetValue(Key(item), out var cached)
        && string.Equals(cached.Metadata.ResourceVersion, version, StringComparison.Ordinal);

    public IReadOnlyList<T> All() => _objects.Values.ToList();

    /// <summary>kubectl's copy of the last applied object (the whole spec again); nothing the operator does reads it.</summary>
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>
    /// Stores the object without what reconciles never read and that is most of its size: its managedFields and
    /// kubectl's last-applied annotation; trimmed further if the cache was given a trim.
    /// </summary>
    public void Upsert(T item)
    {
        item.Metadata.ManagedFields = null;
        if (item.Metadata.Annotations is { } annotations && annotations.Remove(LastAppliedAnnotation) && annotations.Count == 0)
        {
            item.Metadata.Annotations = null;
        }

        _objects[Key(item)] = trim is null ? item : trim(item);
    }

    public void Remove(T item) => _objects.TryRemove(Key(item), out _);

    /// <summary>Replaces the content with a fresh list; returns the objects that disappeared.</summary>
    public IReadOnlyList<T> Replace(IReadOnlyList<T> items)
    {
        var fresh = items.ToDictionary(Key);
        var gone = _objects.Where(entry => !fresh.ContainsKey(entry.Key)).Select(entry => entry.Value).ToList();
        foreach (var item in gone)
        {
            Remove(item);
        }

        foreach (var item in items)
        {
            Upsert(item);
        }

        return gone;
    }

    private static (string, string) Key(T item) => (item.Metadata.NamespaceProperty ?? string.Empty, item.Metadata.Name);
}
