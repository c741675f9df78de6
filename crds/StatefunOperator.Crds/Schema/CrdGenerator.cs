using System.ComponentModel;
using System.Reflection;
using k8s.Models;

namespace StatefunOperator.Crds.Schema;

/// <summary>Builds the CustomResourceDefinition of a custom resource type. Pure.</summary>
public static class CrdGenerator
{
    public static V1CustomResourceDefinition Generate(Type resourceType)
    {
        var names = resourceType.GetCustomAttribute<CustomResourceAttribute>()
            ?? throw new InvalidOperationException($"{resourceType.Name} needs a [CustomResource] attribute.");
        var spec = resourceType.GetProperty("Spec")?.PropertyType
            ?? throw new InvalidOperationException($"{resourceType.Name} has no Spec property.");
        var status = resourceType.GetProperty("Status")?.PropertyType
            ?? throw new InvalidOperationException($"{resourceType.Name} has no Status property.");

        var specSchema = OpenApiSchemaGenerator.ForType(spec);
        var statusSchema = OpenApiSchemaGenerator.ForType(status);
        var rootSchema = new V1JSONSchemaProps
        {
            Type = "object",
            Description = resourceType.GetCustomAttribute<DescriptionAttribute>()?.Description,
            Properties = new Dictionary<string, V1JSONSchemaProps>
            {
                ["apiVersion"] = new() { Type = "string" },
                ["kind"] = new() { Type = "string" },
                ["metadata"] = new() { Type = "object" },
                ["spec"] = specSchema,
                ["status"] = statusSchema,
            },
            Required = ["spec"],
        };

        var columns = resourceType.GetCustomAttributes<PrinterColumnAttribute>()
            .OrderBy(c => c.Order)
            .Select(c => new V1CustomResourceColumnDefinition
            {
                Name = c.Name,
                Type = c.Type,
                JsonPath = c.JsonPath,
                Description = c.Description,
                Priority = c.Priority == 0 ? null : c.Priority,
            })
            .ToList();

        var scale = resourceType.GetCustomAttribute<ScaleSubresourceAttribute>();
        return new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = new V1ObjectMeta { Name = $"{names.Plural}.{StatefunApi.Group}" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = StatefunApi.Group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames
                {
                    Kind = names.Kind,
                    ListKind = names.Kind + "List",
                    Plural = names.Plural,
                    Singular = names.Singular,
                    ShortNames = names.ShortNames.Length > 0 ? names.ShortNames.ToList() : null,
                    Categories = names.Categories.Length > 0 ? names.Categories.ToList() : null,
                },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = StatefunApi.Version,
                        Served = true,
                        Storage = true,
                        Schema = new V1CustomResourceValidation { OpenAPIV3Schema = rootSchema },
                        Subresources = new V1CustomResourceSubresources
                        {
                            Status = new object(),
                            Scale = scale is null ? null : new V1CustomResourceSubresourceScale
                            {
                                SpecReplicasPath = scale.SpecReplicasPath,
                                StatusReplicasPath = scale.StatusReplicasPath,
                                LabelSelectorPath = scale.LabelSelectorPath,
                            },
                        },
                        AdditionalPrinterColumns = columns,
                    },
                ],
            },
        };
    }
}
