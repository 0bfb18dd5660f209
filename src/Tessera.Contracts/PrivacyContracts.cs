namespace Tessera.Contracts;

/// <summary>Sets a data scientist's differential-privacy budget on one dataset (owner and admins; PUT <see cref="ApiRoutes.Budgets"/>).</summary>
/// <param name="UserId">The data scientist.</param>
/// <param name="DatasetId">The dataset.</param>
/// <param name="Epsilon">The total epsilon she may spend on it (what she spent so far counts against it).</param>
/// <param name="Delta">The total delta (0 allows only pure, Laplace-noised releases).</param>
public sealed record BudgetSet(string UserId, string DatasetId, double Epsilon, double Delta = 0);

/// <summary>A budget and its spend.</summary>
/// <param name="UserId">The data scientist.</param>
/// <param name="DatasetId">The dataset.</param>
/// <param name="Epsilon">The total epsilon.</param>
/// <param name="EpsilonSpent">The epsilon spent by releases so far.</param>
/// <param name="Delta">The total delta.</param>
/// <param name="DeltaSpent">The delta spent so far.</param>
/// <param name="Releases">How many releases were charged to it.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record BudgetInfo(string UserId, string DatasetId, double Epsilon, double EpsilonSpent, double Delta, double DeltaSpent, int Releases,
    DateTimeOffset UpdatedAt);

/// <summary>Asks for a differentially private aggregate of a dataset column, charged to the caller's budget (POST <see cref="ApiRoutes.Releases"/>).</summary>
/// <param name="DatasetId">The dataset (CSV).</param>
/// <param name="Column">The column; its declared bounds set the sensitivity.</param>
/// <param name="Aggregate"><c>count</c>, <c>sum</c>, <c>mean</c> or <c>variance</c>.</param>
/// <param name="Epsilon">The epsilon to spend, in (0, 10].</param>
/// <param name="Delta">0 for Laplace noise (pure DP), or in (0, 1e-3] for Gaussian noise.</param>
public sealed record ReleaseRequest(string DatasetId, string Column, string Aggregate, double Epsilon, double Delta = 0);

/// <summary>A differentially private release: the noisy value, what it cost and what is left.</summary>
/// <param name="Id">The release's id (in the audit log).</param>
/// <param name="DatasetId">The dataset.</param>
/// <param name="Column">The column.</param>
/// <param name="Aggregate">The aggregate.</param>
/// <param name="Value">The noisy value (values are clamped to the column's declared bounds first).</param>
/// <param name="Epsilon">The epsilon charged.</param>
/// <param name="Delta">The delta charged.</param>
/// <param name="EpsilonRemaining">The caller's epsilon left on this dataset.</param>
/// <param name="DeltaRemaining">The caller's delta left on this dataset.</param>
/// <param name="Mechanism">How the noise was made, such as <c>discrete Laplace on a 2^-k grid</c>.</param>
public sealed record ReleaseResponse(string Id, string DatasetId, string Column, string Aggregate, double Value, double Epsilon, double Delta,
    double EpsilonRemaining, double DeltaRemaining, string Mechanism);
