using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;

namespace StatefunOperator.Crds.Schema;

/// <summary>
/// Builds a structural OpenAPI v3 schema from a C# type: properties named by
/// <see cref="JsonPropertyNameAttribute"/>, constraints from data annotations
/// (<see cref="RequiredAttribute"/>, <see cref="AllowedValuesAttribute"/>, <see cref="RegularExpressionAttribute"/>,
/// <see cref="RangeAttribute"/>, <see cref="MinLengthAttribute"/>), <see cref="DescriptionAttribute"/> and
/// <see cref="DefaultValueAttribute"/>. Pure: the same type always gives the same schema.
/// </summary>
public static class OpenApiSchemaGenerator
{
    public static V1JSONSchemaProps ForType(Type type) => ForType(type, depth: 0);

    private static V1JSONSchemaProps ForType(Type type, int depth)
    {
        if (depth > 16)
        {
            throw new InvalidOperationException($"Type {type} nests too deeply; recursive types have no structural schema.");
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (Scalar(underlying) is { } scalar)
        {
            return scalar;
        }

        if (DictionaryValueType(underlying) is { } valueType)
        {
            return new V1JSONSchemaProps
            {
                Type = "object",
                AdditionalProperties = ForType(valueType, depth + 1),
            };
        }

        if (ListItemType(underlying) is { } itemType)
        {
            return new V1JSONSchemaProps { Type = "array", Items = ForType(itemType, depth + 1) };
        }

        return ForObject(underlying, depth);
    }

    private static V1JSONSchemaProps ForObject(Type type, int depth)
    {
        var properties = new Dictionary<string, V1JSONSchemaProps>();
        var required = new List<string>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is not null)
            {
                continue;
            }

            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
                ?? throw new InvalidOperationException($"{type.Name}.{property.Name} needs a [JsonPropertyName] to appear in the CRD schema.");
            properties[name] = ForProperty(property, depth);
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                required.Add(name);
            }
        }

        return new V1JSONSchemaProps
        {
            Type = "object",
            Description = type.GetCustomAttribute<DescriptionAttribute>()?.Description,
            Properties = properties,
            Required = required.Count > 0 ? required : null,
        };
    }

    private static V1JSONSchemaProps ForProperty(PropertyInfo property, int depth)
    {
        var schema = ForType(property.PropertyType, depth + 1);
        var isArray = schema.Type == "array";
        var valueSchema = isArray ? (V1JSONSchemaProps)schema.Items : schema;

        var description = property.GetCustomAttribute<DescriptionAttribute>()?.Description;
        if (description is not null)
        {
            schema.Description = description;
        }

        if (property.GetCustomAttribute<SchemaNullableAttribute>() is not null)
        {
            schema.Nullable = true;
        }

        if (property.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed)
        {
            valueSchema.EnumProperty = allowed.Values.Cast<object>().ToList();
        }

        if (property.GetCustomAttribute<RegularExpressionAttribute>() is { } pattern)
        {
            valueSchema.Pattern = pattern.Pattern;
        }

        if (property.GetCustomAttribute<FormatAttribute>() is { } format)
        {
            valueSchema.Format = format.Format;
        }

        if (property.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            valueSchema.Minimum = Convert.ToDouble(range.Minimum, System.Globalization.CultureInfo.InvariantCulture);
            valueSchema.Maximum = Convert.ToDouble(range.Maximum, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (property.GetCustomAttribute<MinLengthAttribute>() is { } minLength)
        {
            if (isArray)
            {
                schema.MinItems = minLength.Length;
            }
            else
            {
                schema.MinLength = minLength.Length;
            }
        }

        if (property.GetCustomAttribute<DefaultValueAttribute>() is { Value: { } defaultValue })
        {
            schema.DefaultProperty = defaultValue;
        }

        if (property.GetCustomAttribute<ListMapKeysAttribute>() is { } listMap)
        {
            schema.XKubernetesListType = "map";
            schema.XKubernetesListMapKeys = listMap.Keys.ToList();
        }

        return schema;
    }

    private static V1JSONSchemaProps? Scalar(Type type)
    {
        if (type == typeof(string))
        {
            return new V1JSONSchemaProps { Type = "string" };
        }

        if (type == typeof(bool))
        {
            return new V1JSONSchemaProps { Type = "boolean" };
        }

        if (type == typeof(int))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int32" };
        }

        if (type == typeof(long))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = "int64" };
        }

        if (type == typeof(double))
        {
            return new V1JSONSchemaProps { Type = "number", Format = "double" };
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return new V1JSONSchemaProps { Type = "string", Format = "date-time" };
        }

        return null;
    }

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        if (dictionary is null)
        {
            return null;
        }

        var arguments = dictionary.GetGenericArguments();
        return arguments[0] == typeof(string)
            ? arguments[1]
            : throw new InvalidOperationException($"Only string-keyed maps have a schema; {type} is keyed by {arguments[0]}.");
    }

    private static Type? ListItemType(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }
}
