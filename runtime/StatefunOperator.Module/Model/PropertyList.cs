namespace StatefunOperator.Module.Model;

/// <summary>Kafka properties as a module writes them (a list, keys in order): as a map, a later duplicate key winning.</summary>
public static class PropertyList
{
    public static Dictionary<string, string> ToMap(IEnumerable<KeyValuePair<string, string>> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in properties)
        {
            map[key] = value;
        }

        return map;
    }
}
