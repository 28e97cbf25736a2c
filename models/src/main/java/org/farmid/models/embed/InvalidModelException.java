package org.farmid.models.embed;

/** A model folder that cannot be used as it is; the message names the folder and the reason. */
public final class InvalidModelException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidModelException(String message) {
    super(message);
  }
}
