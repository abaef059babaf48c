namespace Harness.Training;

/// <summary>
/// One domain's scores after a stage: the main accuracy (exact match of the answer, or the share of images classified
/// right), teacher-forced answer-token accuracy, held-out accuracy and the router's share of questions sent to this
/// domain; NaN marks what was not measured.
/// </summary>
internal sealed record DomainEvaluation(double Accuracy, double TokenAccuracy, double Heldout, double Routing);
