using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace StatefunOperator.Operator.Controller;

/// <summary>
/// The last state the watch delivered for every object of one kind (the operator's "observe"). With
/// <c>indexBy</c>, the objects of a namespace are also found by that value (<see cref="ListIndexed"/>) without a scan:
/// a reconcile of each of thousands of ingresses looks for the few sharing its consumer group.
/// </summary>
public sealed class ResourceCache<T>(Func<T, T>? trim = null, Func<T, string?>? indexBy = null)
    where T : IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), T> _objects = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Namespace, string Value), HashSet<string>> _index = [];

    public int Count => _objects.Count;

    public T? Get(string namespaceName, string name) => _objects.TryGetValue((namespaceName, name), out var value) ? value : default;

    /// <summary>The namespace's objects, by name.</summary>
    public IReadOnlyList<T> List(string namespaceName) => List(namespaceName, _ => true);

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

        matches.Sort(ByName);
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
        var stored = Prepared(item);
        lock (_lock)
        {
            Store(Key(item), stored);
        }
    }

    /// <summary>
    /// Stores the response of the operator's own write to an object it read at <paramref name="observedVersion"/>
    /// (null: the object did not exist), unless the watch has delivered another version since. A response can arrive
    /// after newer watch events (the echo of the write, then someone else's change such as a Deployment's status);
    /// storing it then would take the cache back to an older state that no later event corrects. Returns whether it
    /// was stored.
    /// </summary>
    public bool UpsertWritten(T written, string? observedVersion)
    {
        var key = Key(written);
        var stored = Prepared(written);
        lock (_lock)
        {
            var unchanged = _objects.TryGetValue(key, out var cached)
                ? observedVersion is not null && string.Equals(cached.Metadata.ResourceVersion, observedVersion, StringComparison.Ordinal)
                : observedVersion is null;
            if (unchanged)
            {
                Store(key, stored);
            }

            return unchanged;
        }
    }

    private T Prepared(T item)
    {
        item.Metadata.ManagedFields = null;
        if (item.Metadata.Annotations is { } annotations && annotations.Remove(LastAppliedAnnotation) && annotations.Count == 0)
        {
            item.Metadata.Annotations = null;
        }

        return trim is null ? item : trim(item);
    }

    private void Store((string Namespace, string Name) key, T stored)
    {
        if (indexBy is not null && _objects.TryGetValue(key, out var previous))
        {
            Unindex(key, previous);
        }

        _objects[key] = stored;
        if (indexBy is not null)
        {
            Index(key, stored);
        }
    }

    public void Remove(T item)
    {
        var key = Key(item);
        lock (_lock)
        {
            if (_objects.TryRemove(key, out var previous) && indexBy is not null)
            {
                Unindex(key, previous);
            }
        }
    }

    /// <summary>The namespace's objects whose index value is <paramref name="value"/>, by name (none for an empty value).</summary>
    public IReadOnlyList<T> ListIndexed(string namespaceName, string value)
    {
        if (indexBy is null)
        {
            throw new InvalidOperationException("this cache has no index");
        }

        lock (_lock)
        {
            if (!_index.TryGetValue((namespaceName, value), out var names))
            {
                return [];
            }

            var matches = names.Select(name => _objects[(namespaceName, name)]).ToList();
            matches.Sort(ByName);
            return matches;
        }
    }

    /// <summary>
    /// Replaces the content of one namespace (<paramref name="namespaceName"/>; null: all of it) with a fresh list of
    /// it; returns the objects that disappeared. Other namespaces' objects stay: each watched namespace lists its own.
    /// </summary>
    public IReadOnlyList<T> Replace(IReadOnlyList<T> items, string? namespaceName = null)
    {
        var fresh = items.ToDictionary(Key);
        var gone = _objects
            .Where(entry => (namespaceName is null || entry.Key.Namespace == namespaceName) && !fresh.ContainsKey(entry.Key))
            .Select(entry => entry.Value)
            .ToList();
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

    private void Index((string Namespace, string Name) key, T item)
    {
        if (indexBy!(item) is { Length: > 0 } value)
        {
            if (!_index.TryGetValue((key.Namespace, value), out var names))
            {
                _index[(key.Namespace, value)] = names = new HashSet<string>(StringComparer.Ordinal);
            }

            names.Add(key.Name);
        }
    }

    private void Unindex((string Namespace, string Name) key, T item)
    {
        if (indexBy!(item) is { Length: > 0 } value && _index.TryGetValue((key.Namespace, value), out var names))
        {
            names.Remove(key.Name);
            if (names.Count == 0)
            {
                _index.Remove((key.Namespace, value));
            }
        }
    }

    private static int ByName(T a, T b) => string.CompareOrdinal(a.Metadata.Name, b.Metadata.Name);

    private static (string, string) Key(T item) => (item.Metadata.NamespaceProperty ?? string.Empty, item.Metadata.Name);
}
