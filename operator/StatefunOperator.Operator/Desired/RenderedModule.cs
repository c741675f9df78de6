namespace StatefunOperator.Operator.Desired;

/// <summary>The runtime's module.yaml and what the pod needs to provide for its placeholders.</summary>
public sealed record RenderedModule(string Yaml, string Hash, RenderedCredentials Credentials);
