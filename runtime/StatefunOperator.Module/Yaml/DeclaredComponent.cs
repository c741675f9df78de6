namespace StatefunOperator.Module.Yaml;

/// <summary>One ingress, egress or endpoint found in a module document, before its spec is parsed.</summary>
internal sealed record DeclaredComponent(string Kind, string KindField, string IdText, string IdField, string Location, YamlSection Spec);
