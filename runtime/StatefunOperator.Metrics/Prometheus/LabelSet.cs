using System.Globalization;
using System.Text;

namespace StatefunOperator.Metrics.Prometheus;

/// <summary>
/// The tags of one series, in any order (<c>{a, b}</c> and <c>{b, a}</c> are the same series), with their label
/// text for the page: label names sanitized, sorted by name, values escaped (<c>\</c>, <c>"</c>, newline).
/// </summary>
internal sealed class LabelSet
{
    private readonly KeyValuePair<string, object?>[] _tags;

    private LabelSet(KeyValuePair<string, object?>[] tags, int hash)
    {
        _tags = tags;
        Hash = hash;
        Text = string.Join(',', tags.Select(t => $"{PrometheusNames.Label(t.Key)}=\"{EscapeValue(Format(t.Value))}\""));
    }

    /// <summary>Independent of the tags' order.</summary>
    public int Hash { get; }

    /// <summary>The labels as on the page, without braces: <c>ingress="a",topic="t"</c>; empty without tags.</summary>
    public string Text { get; }

    public static LabelSet From(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var sorted = tags.ToArray();
        Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new LabelSet(sorted, HashOf(tags));
    }

    /// <summary>Of the values only (an instrument's tag keys hardly vary), summed: independent of the order.</summary>
    public static int HashOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = tags.Length;
        foreach (var tag in tags)
        {
            hash += tag.Value?.GetHashCode() ?? 0;
        }

        return hash;
    }

    /// <summary>The same keys with equal values, in any order.</summary>
    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length != _tags.Length)
        {
            return false;
        }

        var inOrder = true;
        for (var i = 0; i < tags.Length && inOrder; i++)
        {
            inOrder = string.Equals(_tags[i].Key, tags[i].Key, StringComparison.Ordinal);
        }

        if (inOrder)
        {
            for (var i = 0; i < tags.Length; i++)
            {
                if (!Equals(_tags[i].Value, tags[i].Value))
                {
                    return false;
                }
            }

            return true;
        }

        foreach (var tag in tags)
        {
            if (!Contains(tag))
            {
                return false;
            }
        }

        return true;
    }

    public bool Matches(LabelSet other) => ReferenceEquals(this, other) || (Hash == other.Hash && Matches(other._tags));

    private bool Contains(KeyValuePair<string, object?> tag)
    {
        foreach (var own in _tags)
        {
            if (string.Equals(own.Key, tag.Key, StringComparison.Ordinal))
            {
                return Equals(own.Value, tag.Value);
            }
        }

        return false;
    }

    /// <summary>A tag value as text: invariant culture, booleans in lower case (<c>true</c>), null as empty.</summary>
    private static string Format(object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string EscapeValue(string value)
    {
        if (value.AsSpan().IndexOfAny('\\', '"', '\n') < 0)
        {
            return value;
        }

        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            escaped.Append(c switch
            {
                '\\' => @"\\",
                '"' => "\\\"",
                '\n' => @"\n",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }
}
