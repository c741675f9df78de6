using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace StatefunOperator.Module.Yaml;

/// <summary>
/// Reads one mapping of a module YAML document and collects problems as
/// <c>&lt;owner&gt;: &lt;field path&gt;: &lt;what is wrong&gt;</c>, so that every message names the
/// document (ingress or egress id), the field and the bad value.
/// </summary>
internal sealed class YamlSection
{
    private readonly YamlMappingNode _node;
    private readonly string _path;
    private readonly ProblemList _problems;

    public YamlSection(YamlMappingNode node, string path, ProblemList problems)
    {
        _node = node;
        _path = path;
        _problems = problems;
    }

    /// <summary>The same mapping with field paths counted from here (a component's spec is named by its id, not by 'spec').</summary>
    public YamlSection AsRoot() => new(_node, string.Empty, _problems);

    public bool Has(string key) => Find(key) is not null;

    public string FieldPath(string key) => _path.Length == 0 ? key : _path + "." + key;

    public void Problem(string key, string message) => _problems.Add(FieldPath(key), message);

    public string? String(string key, bool required = false)
    {
        var node = Find(key);
        if (node is null)
        {
            if (required)
            {
                Problem(key, "is missing");
            }

            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            Problem(key, $"expected a single value, found a {Describe(node)}");
            return null;
        }

        var value = _problems.Expand(scalar.Value ?? string.Empty, FieldPath(key));
        if (required && string.IsNullOrWhiteSpace(value))
        {
            Problem(key, "is empty");
            return null;
        }

        return value;
    }

    public YamlSection? Section(string key, bool required = false)
    {
        var node = Find(key);
        switch (node)
        {
            case null or YamlScalarNode { Value: null or "" or "~" or "null" } when !required:
                return null;
            case null:
                Problem(key, "is missing");
                return null;
            case YamlMappingNode mapping:
                return new YamlSection(mapping, FieldPath(key), _problems);
            default:
                Problem(key, $"expected a mapping, found a {Describe(node)}");
                return null;
        }
    }

    public IReadOnlyList<YamlNode> Sequence(string key, bool required = false)
    {
        var node = Find(key);
        switch (node)
        {
            case null when required:
                Problem(key, "is missing");
                return [];
            case null or YamlScalarNode { Value: null or "" or "~" or "null" }:
                return [];
            case YamlSequenceNode sequence:
                return sequence.Children.ToArray();
            default:
                Problem(key, $"expected a list, found a {Describe(node)}");
                return [];
        }
    }

    public IEnumerable<(YamlSection Section, int Index)> Sections(string key, bool required = false)
    {
        var items = Sequence(key, required);
        for (var i = 0; i < items.Count; i++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"{FieldPath(key)}[{i}]");
            if (items[i] is YamlMappingNode mapping)
            {
                yield return (new YamlSection(mapping, path, _problems), i);
            }
            else
            {
                _problems.Add(path, $"expected a mapping, found a {Describe(items[i])}");
            }
        }
    }

    /// <summary>
    /// Key/value pairs given either as StateFun's list of single-key maps (<c>- key: value</c>) or as a plain mapping.
    /// Values are read as text; keys keep their order.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs(string key)
    {
        var node = Find(key);
        var pairs = new List<KeyValuePair<string, string>>();
        switch (node)
        {
            case null or YamlScalarNode { Value: null or "" or "~" or "null" }:
                break;
            case YamlMappingNode mapping:
                AddPairs(mapping, FieldPath(key), pairs);
                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var path = string.Create(CultureInfo.InvariantCulture, $"{FieldPath(key)}[{i}]");
                    if (sequence.Children[i] is YamlMappingNode item)
                    {
                        AddPairs(item, path, pairs);
                    }
                    else
                    {
                        _problems.Add(path, $"expected 'key: value', found a {Describe(sequence.Children[i])}");
                    }
                }

                break;
            default:
                Problem(key, $"expected a list of 'key: value' entries, found a {Describe(node)}");
                break;
        }

        return pairs;
    }

    private void AddPairs(YamlMappingNode mapping, string path, List<KeyValuePair<string, string>> pairs)
    {
        foreach (var (k, v) in mapping.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? string.Empty;
            if (v is YamlScalarNode scalar)
            {
                pairs.Add(new(name, _problems.Expand(scalar.Value ?? string.Empty, path + "." + name)));
            }
            else
            {
                _problems.Add(path + "." + name, $"expected a single value, found a {Describe(v)}");
            }
        }
    }

    private YamlNode? Find(string key)
    {
        foreach (var (k, v) in _node.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && name == key)
            {
                return v;
            }
        }

        return null;
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "value",
    };
}
