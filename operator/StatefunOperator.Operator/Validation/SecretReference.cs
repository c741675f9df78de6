using StatefunOperator.Crds.Common;

namespace StatefunOperator.Operator.Validation;

/// <summary>A Secret key a resource needs at run time, and the field that names it (e.g. <c>spec.security.tls.caSecret</c>).</summary>
public sealed record SecretReference(string Field, SecretKeySelector Selector);
