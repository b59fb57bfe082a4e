/**
 * Dependence between two samples: the Kraskov-Stoegbauer-Grassberger mutual information estimator (as
 * scikit-learn computes it), plug-in mutual information of discrete labels (Pearson correlation is
 * {@link dev.btw.core.metrics.PearsonCorrelation}), and the
 * numerical pieces they need (digamma, numpy's legacy normal generator, a primitive argsort).
 */
package dev.btw.core.mi;
