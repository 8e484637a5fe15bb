namespace RnnSearch.TrainerNode.Tasks;

public enum Split { Train, Valid, Test }
